# bash completion for ksyms(1); made by completions/generate from `ksyms --help`: do not edit
_ksyms()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmd= i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-v --verbose --version -h --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "info scan list addr2sym sym2addr config diff check-map dmesg symbolize gen extract elf btf" -- "$cur"))
		fi
		return
	fi
	local opts= args=()
	case $cmd in
	info)
		opts="-j --json -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --strict --max-output --max-depth -v --verbose -h --help"
		args=(-o --output --base --arch --bits --endian --source --max-symbols --max-name-len --max-output --max-depth)
		;;
	scan)
		opts="-j --jobs --json -L --follow -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --strict --max-output --max-depth -v --verbose -h --help"
		args=(-j --jobs -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --max-output --max-depth)
		;;
	list)
		opts="-t --type -s --substring -g --glob --exported --unexported -j --json -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --strict --max-output --max-depth -v --verbose -h --help"
		args=(-t --type -s --substring -g --glob -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --max-output --max-depth)
		;;
	addr2sym)
		opts="-a --all-aliases -j --json -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --strict --max-output --max-depth -v --verbose -h --help"
		args=(-o --output --base --arch --bits --endian --source --max-symbols --max-name-len --max-output --max-depth)
		;;
	sym2addr)
		opts="-j --json -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --strict --max-output --max-depth -v --verbose -h --help"
		args=(-o --output --base --arch --bits --endian --source --max-symbols --max-name-len --max-output --max-depth)
		;;
	config)
		opts="-b --banner -q --quiet -j --json -o --output --max-output --max-depth -v --verbose -h --help"
		args=(-o --output --max-output --max-depth)
		;;
	diff)
		opts="-a --all --summary -j --json -t --type -s --substring -g --glob --strict --source-a --source-b -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --max-output --max-depth -v --verbose -h --help"
		args=(-t --type -s --substring -g --glob --source-a --source-b -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --max-output --max-depth)
		;;
	check-map)
		opts="-k --kallsyms -j --json -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --strict --max-output --max-depth -v --verbose -h --help"
		args=(-k --kallsyms -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --max-output --max-depth)
		;;
	dmesg)
		opts="-S --symbolize --caller -r --raw -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --strict --max-output --max-depth -v --verbose -h --help"
		args=(-o --output --base --arch --bits --endian --source --max-symbols --max-name-len --max-output --max-depth)
		;;
	symbolize)
		opts="--slide --runtime-text --replace -j --json -q --quiet -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --strict --max-output --max-depth -v --verbose -h --help"
		args=(--slide --runtime-text -o --output --base --arch --bits --endian --source --max-symbols --max-name-len --max-output --max-depth)
		;;
	gen)
		opts="-o --output -f --force -l --layout --bits --endian --base --elf --no-filter --text-only --absolute-percpu --banner --list-layouts -v --verbose -h --help"
		args=(-o --output -l --layout --bits --endian --base --banner)
		;;
	extract)
		opts="-o --output -n --step -f --force --max-output --max-depth -v --verbose -h --help"
		args=(-o --output -n --step --max-output --max-depth)
		;;
	elf)
		opts="-o --output -f --force --map --runtime-text --slide --base -v --verbose --arch --bits --endian --source --max-symbols --max-name-len --strict --max-output --max-depth -h --help"
		args=(-o --output --map --runtime-text --slide --base --arch --bits --endian --source --max-symbols --max-name-len --max-output --max-depth)
		;;
	btf)
		opts="-o --output -f --force -j --json -v --verbose --base --arch --bits --endian --source --max-symbols --max-name-len --strict --max-output --max-depth -h --help"
		args=(-o --output --base --arch --bits --endian --source --max-symbols --max-name-len --max-output --max-depth)
		;;
	esac
	case $prev in
	--bits) COMPREPLY=($(compgen -W "32 64" -- "$cur")); return ;;
	--endian) COMPREPLY=($(compgen -W "little big" -- "$cur")); return ;;
	--source) COMPREPLY=($(compgen -W "auto kallsyms symtab system.map proc" -- "$cur")); return ;;
	--source-a) COMPREPLY=($(compgen -W "auto kallsyms symtab system.map proc" -- "$cur")); return ;;
	--source-b) COMPREPLY=($(compgen -W "auto kallsyms symtab system.map proc" -- "$cur")); return ;;
	--layout | -l)
		[[ $cmd == gen ]] && COMPREPLY=($(compgen -W "$(ksyms gen --list-layouts 2>/dev/null | cut -d" " -f1)" -- "$cur"))
		return
		;;
	--output | -o | --kallsyms | -k)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return
		;;
	esac
	for i in "${args[@]}"; do
		[[ $prev == "$i" ]] && return
	done
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
	compopt -o filenames 2>/dev/null
}
complete -F _ksyms ksyms
