/* SPDX-License-Identifier: MIT */
/**
 * @file ksyms.h
 * @brief libksyms: find, decode and generate Linux kernel symbol tables.
 *
 * libksyms reads the kernel's own symbol table ("kallsyms") out of a kernel
 * image that has no ELF symbols: a raw arm64/riscv Image, an ELF vmlinux, a
 * compressed or wrapped kernel, a memory dump.  It also generates kallsyms
 * tables from a symbol list, the way the kernel build does.
 *
 * Conventions:
 * - Every fallible function returns a `struct ksyms_error *`: NULL on
 *   success, otherwise an error that carries a code, a message and, for bad
 *   input data, the file offset where it was found.  Free it with
 *   ksyms_error_destroy().
 * - Out-parameters are named `ret`, come last and are written only on
 *   success.
 * - `*_destroy(NULL)` is a no-op.
 * - Strings returned by the library are owned by the object they came from
 *   and stay valid until it is destroyed.
 * - Option structs start with `size_t sz`; initialise them with KSYMS_OPTS()
 *   so that fields can be added without breaking the ABI.
 *
 * Thread safety: distinct handles may be used from distinct threads at the
 * same time; one handle must not be used from two threads at once.
 *
 * The library never prints, never exits and never reads the environment.
 */
#ifndef KSYMS_H
#define KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KSYMS_VERSION_MAJOR 0
#define KSYMS_VERSION_MINOR 1
#define KSYMS_VERSION_PATCH 0

#if defined(__GNUC__) || defined(__clang__)
#define KSYMS_API __attribute__((visibility("default")))
#define KSYMS_MUST_CHECK __attribute__((warn_unused_result))
#else
#define KSYMS_API
#define KSYMS_MUST_CHECK
#endif

/** Declare and initialise an options struct: KSYMS_OPTS(ksyms_open_opts, o, .max_output = 1 << 30); */
#define KSYMS_OPTS(TYPE, NAME, ...) \
	struct TYPE NAME = { .sz = sizeof(struct TYPE), __VA_ARGS__ }

/** @return the library version as "MAJOR.MINOR.PATCH". */
KSYMS_API const char *ksyms_version(void);

/* ------------------------------------------------------------------------ */
/** @name Errors */

enum ksyms_error_code {
	KSYMS_ERR_NOMEM = 1,        /**< out of memory */
	KSYMS_ERR_OS,               /**< a system call failed; see ksyms_error_errno() */
	KSYMS_ERR_INVALID_ARGUMENT, /**< the caller passed something invalid */
	KSYMS_ERR_NOT_FOUND,        /**< what was asked for is not in the input */
	KSYMS_ERR_BAD_DATA,         /**< the input is malformed; see ksyms_error_offset() */
	KSYMS_ERR_UNSUPPORTED,      /**< a valid input this build cannot handle */
	KSYMS_ERR_TOO_LARGE,        /**< a configured limit was hit */
};

struct ksyms_error;

/** @return the error's code. */
KSYMS_API enum ksyms_error_code ksyms_error_code(const struct ksyms_error *err);
/** @return the error's one-line message (lowercase, no final period). Valid until the error is destroyed. */
KSYMS_API const char *ksyms_error_message(const struct ksyms_error *err);
/** @return the file offset of the bad data, or -1 if the error is not about a position. */
KSYMS_API int64_t ksyms_error_offset(const struct ksyms_error *err);
/** @return the errno of a KSYMS_ERR_OS error, else 0. */
KSYMS_API int ksyms_error_errno(const struct ksyms_error *err);
/** Free an error. NULL and the static out-of-memory error are accepted. */
KSYMS_API void ksyms_error_destroy(struct ksyms_error *err);

/* ------------------------------------------------------------------------ */
/** @name Logging */

enum ksyms_log_level {
	KSYMS_LOG_INFO = 1,  /**< decisions: what was found where */
	KSYMS_LOG_DEBUG = 2, /**< every candidate tried and why it was rejected */
};

/** A log callback: receives one line, without a trailing newline. */
typedef void ksyms_log_fn(void *ctx, enum ksyms_log_level level, const char *msg);

/* ------------------------------------------------------------------------ */
/** @name Opening an input */

enum ksyms_byte_order {
	KSYMS_ENDIAN_AUTO = 0,
	KSYMS_ENDIAN_LITTLE = 1,
	KSYMS_ENDIAN_BIG = 2,
};

/** Options for ksyms_image_open() and ksyms_image_open_mem(). */
struct ksyms_open_opts {
	size_t sz;
	/**
	 * Cap on the decompressed data held for the input, every layer of the
	 * container chain together; 0 = default (1 GiB).  Reaching it is
	 * KSYMS_ERR_TOO_LARGE.  The candidate streams tried while searching
	 * an image for its payload (failed ones and bombs included) may
	 * produce twice this in all.  The symbol names a kallsyms table
	 * expands to are capped by it too.
	 */
	uint64_t max_output;
	/** Cap on container nesting (layers unwrapped); 0 = default (16). */
	unsigned max_depth;
	/** Optional log callback and its context. */
	ksyms_log_fn *log;
	void *log_ctx;
	/** Highest level passed to @ref log; 0 = KSYMS_LOG_INFO. */
	enum ksyms_log_level log_level;
	/**
	 * The caller needs only the kallsyms symbol table: a compressed
	 * kernel may be decompressed only as far as its kallsyms tables, as
	 * soon as they decode, end well before the output so far does and
	 * need nothing after it for their addresses (no relocation or vote
	 * over the whole kernel).  The kernel data is then a prefix of the
	 * kernel (ksyms_layer.stopped_early says so).  A table read from the
	 * image has no export information, whether it stopped early or not.
	 * Not for extract, config or exports.
	 */
	bool kallsyms_only;
};

/** An opened input: the file (mapped, not copied) and the chain of containers unwrapped to reach the kernel. */
struct ksyms_image;

/**
 * Open a file.  The file is mapped read-only; containers and compression
 * that this build understands are unwrapped.
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_image_open(const char *path, const struct ksyms_open_opts *opts, struct ksyms_image **ret);

/**
 * Open a memory buffer.  The buffer is borrowed, not copied: it must stay
 * valid and unchanged until the image is destroyed.
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_image_open_mem(const void *data, size_t len, const struct ksyms_open_opts *opts,
		     struct ksyms_image **ret);

KSYMS_API void ksyms_image_destroy(struct ksyms_image *img);

/** One step of the container chain, outermost first. */
struct ksyms_layer {
	const char *format;      /**< short name: "gzip", "ELF", "arm64 Image", "raw" */
	const char *description; /**< one line with the details that matter */
	uint64_t offset;         /**< where this layer's payload starts in the previous layer's data */
	uint64_t size;           /**< its size there (compressed size for a codec) */
	uint64_t out_size;       /**< size of the data this layer yields */
	/** The layer's stream was decompressed only as far as the kallsyms
	 *  tables (ksyms_open_opts.kallsyms_only): out_size is a prefix. */
	bool stopped_early;
};

/** @return how many layers were unwrapped (at least 1: the kernel itself). */
KSYMS_API size_t ksyms_image_layer_count(const struct ksyms_image *img);
/** @return layer @p i (0 = outermost), or NULL if out of range. */
KSYMS_API const struct ksyms_layer *ksyms_image_layer(const struct ksyms_image *img, size_t i);
/** @return the data of layer @p i and its size in @p ret_len; the last layer is the kernel. */
KSYMS_API const void *ksyms_image_layer_data(const struct ksyms_image *img, size_t i, size_t *ret_len);
/** @return the innermost data (the kernel) and its size. */
KSYMS_API const void *ksyms_image_kernel(const struct ksyms_image *img, size_t *ret_len);

/* ------------------------------------------------------------------------ */
/** @name Table layouts */

/** How kallsyms stores addresses (kallsyms-format.md section 3). */
enum ksyms_addr_mode {
	KSYMS_ADDR_UNKNOWN = 0,
	KSYMS_ADDR_ABSOLUTE,        /**< kallsyms_addresses[], one word each (2.6.10 -> ~6.9) */
	KSYMS_ADDR_RELATIVE,        /**< relative_base + (u32)offsets[i] (4.6 -> 6.x) */
	KSYMS_ADDR_RELATIVE_PERCPU, /**< x86-64 absolute per-cpu: >= 0 absolute, < 0 base-1-off (4.6 -> ~6.14) */
	KSYMS_ADDR_PC_RELATIVE,     /**< &offsets[i] + (s32)offsets[i] (7.0+) */
	KSYMS_ADDR_ABSOLUTE32,      /**< (u32)offsets[i], 32-bit non-relocatable (7.0+) */
};

/** Where the tables sit relative to each other (kallsyms-format.md section 1). */
enum ksyms_table_order {
	KSYMS_ORDER_UNKNOWN = 0,
	KSYMS_ORDER_ADDRESSES_FIRST, /**< addresses|offsets, num_syms, names, markers, ... (<= 6.3) */
	KSYMS_ORDER_NAMES_FIRST,     /**< num_syms, names, markers, tokens, addresses|offsets, ... (6.4+) */
};

/** Where kallsyms_seqs_of_names is. */
enum ksyms_seqs_pos {
	KSYMS_SEQS_NONE = 0,
	KSYMS_SEQS_AFTER_MARKERS,   /**< between markers and token_table (6.2, 6.3, 6.1 stable) */
	KSYMS_SEQS_AFTER_ADDRESSES, /**< last table (6.4+) */
};

/** A complete description of one kallsyms layout: what the locator detected, or what the generator should write. */
struct ksyms_layout {
	enum ksyms_addr_mode addr_mode;
	enum ksyms_table_order order;
	enum ksyms_seqs_pos seqs;
	uint8_t name_len_bytes;  /**< 1 = one length byte; 2 = ULEB128 1..2 bytes (6.1+) */
	uint8_t marker_size;     /**< 4, or 8 = pointer-width markers (old 64-bit kernels) */
	uint8_t num_syms_size;   /**< 4, or 8 = pointer-width num_syms (old 64-bit kernels) */
	/** label alignment: 8 on 64-bit before 7.0, else 4; 16 or 256 where
	 *  ".align 4"/".align 8" meant 2^N bytes (arm, arm64, mips, powerpc,
	 *  riscv before 5.0) */
	uint16_t align;
	uint8_t seqs_entry_size; /**< 3 (big-endian u24), or 4 during the 6.2 merge window */
};

/** The kernel's name for each table, in the order of enum ksyms_table_id. */
enum ksyms_table_id {
	KSYMS_TAB_ADDRESSES,
	KSYMS_TAB_OFFSETS,
	KSYMS_TAB_RELATIVE_BASE,
	KSYMS_TAB_NUM_SYMS,
	KSYMS_TAB_NAMES,
	KSYMS_TAB_MARKERS,
	KSYMS_TAB_SEQS_OF_NAMES,
	KSYMS_TAB_TOKEN_TABLE,
	KSYMS_TAB_TOKEN_INDEX,
	KSYMS_TAB_COUNT
};

/** @return "kallsyms_names" etc., or NULL for an invalid id. */
KSYMS_API const char *ksyms_table_id_name(enum ksyms_table_id id);
/** @return a short name for an address mode ("relative", "pc-relative", ...). */
KSYMS_API const char *ksyms_addr_mode_name(enum ksyms_addr_mode mode);
/** @return a short name for a table order ("addresses-first", "names-first"). */
KSYMS_API const char *ksyms_table_order_name(enum ksyms_table_order order);
/** @return a short name for a seqs_of_names position ("none", "after-markers", "after-addresses"). */
KSYMS_API const char *ksyms_seqs_pos_name(enum ksyms_seqs_pos pos);

/**
 * Fill @p ret with a named preset: "2.6" (absolute, pointer-width markers),
 * "4.6", "5.10", "6.1", "6.2", "6.4", "7.0", plus "4.6-percpu", "6.4-percpu"
 * and "7.0-abs32" variants, and "6.4-absolute".  @p word_size is 4 or 8.
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_layout_preset(const char *name, int word_size, struct ksyms_layout *ret);
/** @return the preset names, NULL-terminated. */
KSYMS_API const char *const *ksyms_layout_preset_names(void);

/* ------------------------------------------------------------------------ */
/** @name Symbol tables */

/** Options for ksyms_table_from_image(). Zero means "detect". */
struct ksyms_find_opts {
	size_t sz;
	int word_size;                    /**< 4 or 8; 0 = detect */
	enum ksyms_byte_order byte_order; /**< 0 = detect */
	bool has_base;                    /**< @ref base is set */
	uint64_t base;                    /**< virtual address of the kernel's first byte (file offset 0 of a raw image) */
	const char *arch;                 /**< "arm64", "x86_64", ...; NULL = detect */
	ksyms_log_fn *log;
	void *log_ctx;
	enum ksyms_log_level log_level;
	uint32_t max_symbols;             /**< refuse tables larger than this; 0 = default (4,000,000) */
	/** Refuse a decoded name longer than this (KSYMS_ERR_TOO_LARGE);
	 *  0 = default (511: KSYM_NAME_LEN - 1, what any real kernel obeys). */
	uint32_t max_name_len;
	/**
	 * Decode only what ksyms_table_info(), ksyms_table_exports() and
	 * ksyms_image_btf() report (what `ksyms info` prints): every name is
	 * checked as usual but not expanded.  A table decoded from kallsyms
	 * this way lists no symbols (ksyms_table_count() is 0, lookups find
	 * nothing, ksyms_elf_write() and the symbolizer refuse it), and it
	 * borrows the image's bytes: destroy it before the image.  The facts
	 * are the same as without this option.
	 */
	bool info_only;
};

/** What a symbol table was read from. */
enum ksyms_source_kind {
	KSYMS_SOURCE_AUTO = 0,       /**< detect from the content */
	KSYMS_SOURCE_KALLSYMS,       /**< decoded from a kernel image */
	KSYMS_SOURCE_SYMTAB,         /**< an ELF .symtab */
	KSYMS_SOURCE_SYSTEM_MAP,     /**< `nm -n` text: System.map */
	KSYMS_SOURCE_PROC_KALLSYMS,  /**< /proc/kallsyms text, module lines included */
};

/** Facts about a decoded table: what `ksyms info` prints. */
struct ksyms_table_loc {
	bool present;
	uint64_t offset;  /**< file offset, in the kernel data (the last layer) */
	uint64_t address; /**< virtual address (valid if the info's base_known) */
	uint64_t size;    /**< bytes */
};

/**
 * One check of decoded addresses against a fact about the image that the
 * decoding did not use: the entry point its header states, the banner at
 * linux_banner, the kallsyms_* symbols at the tables, pointers stored in
 * the kernel's data, the export table's entries.  Only checks that could
 * be made are listed; each either held or contradicted the addresses.
 */
struct ksyms_check {
	const char *name;   /**< "entry", "banner", "tables", "pointers", "exports", "text-range" */
	bool held;          /**< the fact agrees with the addresses (false: it contradicts them) */
	/** The fact does not rest on the inference that gave the addresses
	 *  (e.g. a base found from the same symbols it would check), so
	 *  that it vouches for their absolute values. */
	bool independent;
	const char *detail; /**< one line: what was compared, with numbers */
};

struct ksyms_info {
	const char *source;        /**< "kallsyms" (decoded from an image), "System.map", ... */
	const char *banner;        /**< "Linux version ..." line, or NULL */
	const char *arch;          /**< "arm64", "x86_64", ... or NULL if unknown */
	const char *arch_source;   /**< how the arch was found: "ELF header", "symbol names", ... */
	int word_size;             /**< 4 or 8 */
	enum ksyms_byte_order byte_order;
	struct ksyms_layout layout;
	bool long_names_seen;      /**< a 2-byte name length occurs (so the 6.1+ encoding is certain) */
	uint64_t num_syms;
	bool base_known;           /**< base is the virtual address of the kernel's first byte */
	uint64_t base;
	const char *base_source;   /**< how the base was found */
	uint64_t relative_base;    /**< for relative modes: the base used */
	bool relative_base_inferred; /**< the stored word was 0 (boot-time relocation) and was inferred */
	const char *relative_base_source;
	struct ksyms_table_loc tables[KSYMS_TAB_COUNT];
	enum ksyms_source_kind source_kind;
	/** Every address is 0: a /proc/kallsyms read while kptr_restrict hides them. */
	bool addresses_hidden;
	size_t module_symbols;     /**< symbols with a [module] (from /proc/kallsyms) */
	/**
	 * The addresses are vouched for: for a table decoded from an image,
	 * at least one independent check held and none failed (see @ref
	 * checks); for a symbol list, they are the list's own.  When false,
	 * @ref verify_note says why in one line; a caller that prints the
	 * addresses should say so (the CLI warns, and fails with --strict).
	 */
	bool addresses_verified;
	const char *verify_note;
	size_t num_checks;
	const struct ksyms_check *checks; /**< @ref num_checks entries, valid while the table lives */
};

/** A symbol table: decoded from an image, or read from a symbol list. */
struct ksyms_table;

/**
 * Find and decode the kallsyms tables in an opened image.  The table keeps
 * no reference to the image: it may outlive it.
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_table_from_image(const struct ksyms_image *img, const struct ksyms_find_opts *opts,
		       struct ksyms_table **ret);

KSYMS_API void ksyms_table_destroy(struct ksyms_table *tab);

/** @return the facts about how the table was found. Valid until the table is destroyed. */
KSYMS_API const struct ksyms_info *ksyms_table_info(const struct ksyms_table *tab);

/** @return the number of symbols. */
KSYMS_API size_t ksyms_table_count(const struct ksyms_table *tab);

/** One symbol.  @c name and @c module are borrowed from the table. */
struct ksyms_symbol {
	uint64_t addr;
	const char *name;
	const char *module; /**< NULL for the kernel's own symbols */
	char type;          /**< nm type letter as stored */
};

/** Fill @p ret with symbol @p i (table order); @return false if @p i is out of range. */
KSYMS_API bool ksyms_table_symbol(const struct ksyms_table *tab, size_t i, struct ksyms_symbol *ret);

/* ------------------------------------------------------------------------ */
/** @name Any symbol source */

/** Options for ksyms_table_open(). */
struct ksyms_source_opts {
	size_t sz;
	enum ksyms_source_kind kind;        /**< 0 = detect from the content */
	const struct ksyms_open_opts *open; /**< for kernel images; may be NULL */
	const struct ksyms_find_opts *find; /**< for kernel images; may be NULL */
};

/**
 * Open any symbol source and read its table: a kernel image (any
 * container, kallsyms decoded), an ELF with a .symtab and no kallsyms, a
 * System.map, or a saved or live /proc/kallsyms (module lines included).
 * Which one is decided from the content unless @p opts says.
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_table_open(const char *path, const struct ksyms_source_opts *opts, struct ksyms_table **ret);

/** ksyms_table_open() on an already opened image (its innermost data). */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_table_read(const struct ksyms_image *img, const struct ksyms_source_opts *opts, struct ksyms_table **ret);

/** ksyms_table_open() on a buffer (borrowed only during the call). */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_table_open_mem(const void *data, size_t len, const struct ksyms_source_opts *opts, struct ksyms_table **ret);

/** @return "kallsyms", "ELF .symtab", "System.map", "/proc/kallsyms". */
KSYMS_API const char *ksyms_source_kind_name(enum ksyms_source_kind kind);

/* ------------------------------------------------------------------------ */
/** @name Lookups
 *
 * Lookups build their indexes on first use (or in ksyms_table_prepare());
 * after that they allocate nothing.  Address lookups follow the kernel's
 * kallsyms_lookup(): the last symbol at or below the address, its first
 * alias in table order, the size up to the next higher address.
 */

/** The result of an address lookup. */
struct ksyms_match {
	struct ksyms_symbol sym; /**< the symbol: the first alias at its address */
	size_t index;            /**< its table index */
	uint64_t offset;         /**< looked-up address minus sym.addr */
	uint64_t size;           /**< bytes up to the next higher symbol, as the kernel computes it; 0 if unknown */
	size_t alias_pos;        /**< address-order position of the first alias (see ksyms_table_by_address()) */
	size_t aliases;          /**< how many symbols share sym.addr (>= 1) */
};

/** Build the lookup indexes now; only fails when out of memory. */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *ksyms_table_prepare(struct ksyms_table *tab);

/**
 * Resolve @p addr the way the kernel's %pS does.  @return false if the
 * address is not inside any symbol (outside the kernel's text, or data
 * without CONFIG_KALLSYMS_ALL, and no module symbol covers it).
 */
KSYMS_API bool ksyms_table_lookup_addr(struct ksyms_table *tab, uint64_t addr, struct ksyms_match *ret);

/** Symbol at position @p pos of the address order (ties in table order); false past the end. */
KSYMS_API bool ksyms_table_by_address(struct ksyms_table *tab, size_t pos, struct ksyms_symbol *ret,
				      size_t *ret_index);

/**
 * Find every symbol named @p name.  @return how many there are; they sit
 * at name-order positions [*ret_pos, *ret_pos + count), lowest address
 * first (the one the kernel's kallsyms_lookup_name() returns).
 */
KSYMS_API size_t ksyms_table_lookup_name(struct ksyms_table *tab, const char *name, size_t *ret_pos);

/** Symbol at position @p pos of the name order; false past the end. */
KSYMS_API bool ksyms_table_by_name(struct ksyms_table *tab, size_t pos, struct ksyms_symbol *ret,
				   size_t *ret_index);

/* ------------------------------------------------------------------------ */
/** @name Exported symbols
 *
 * Which symbols the kernel exports to modules (EXPORT_SYMBOL,
 * EXPORT_SYMBOL_GPL, and their _NS forms), read from the image's
 * __ksymtab, __ksymtab_gpl (or 7.x __kflagstab) and __ksymtab_strings
 * when ksyms_table_from_image() decodes it; the table keeps the result, so
 * it outlives the image.  Tables read from symbol lists (System.map,
 * /proc/kallsyms) have no ksymtab: their exports are unknown.  A global
 * type letter ('T') says nothing about being exported.
 */

enum ksyms_export_kind {
	KSYMS_EXPORT_NONE = 0,   /**< not exported */
	KSYMS_EXPORT_PLAIN,      /**< EXPORT_SYMBOL: usable by any module */
	KSYMS_EXPORT_GPL,        /**< EXPORT_SYMBOL_GPL: GPL-compatible modules only */
	KSYMS_EXPORT_GPL_FUTURE, /**< EXPORT_SYMBOL_GPL_FUTURE (2.6.17 -> 5.12) */
	KSYMS_EXPORT_UNUSED,     /**< EXPORT_UNUSED_SYMBOL (2.6.26 -> 5.12) */
	KSYMS_EXPORT_UNUSED_GPL, /**< EXPORT_UNUSED_SYMBOL_GPL (2.6.26 -> 5.12) */
};

/** One ksymtab entry. Strings are borrowed from the table. */
struct ksyms_export {
	enum ksyms_export_kind kind;
	const char *name;      /**< the exported name (NULL when kind is NONE) */
	const char *ns;        /**< symbol namespace (EXPORT_SYMBOL_NS*), NULL if none */
	uint64_t addr;         /**< the exported object's address, from the entry */
	size_t index;          /**< table index of that symbol, SIZE_MAX if the table lacks it */
};

/** What was read, and from where. */
struct ksyms_exports_info {
	bool known;                      /**< the ksymtab was found and read */
	const char *found_by;            /**< "__start_* symbols", "ELF section headers", "scan of the kernel data" */
	const char *layout;              /**< entry layout, e.g. "place-relative value/name/namespace (12 bytes)" */
	const char *unknown_reason;      /**< when !known: why, in one line */
	size_t count;                    /**< entries */
	size_t gpl;                      /**< of which GPL-only */
	size_t with_namespace;           /**< of which in a namespace */
	size_t not_in_table;             /**< entries whose symbol the table lacks (data without CONFIG_KALLSYMS_ALL) */
	struct ksyms_table_loc ksymtab;  /**< __ksymtab */
	struct ksyms_table_loc ksymtab_gpl; /**< __ksymtab_gpl (absent in 7.x) */
	struct ksyms_table_loc kflagstab;   /**< __kflagstab (7.x) */
};

/** @return what is known about the table's exports; never NULL for a table. */
KSYMS_API const struct ksyms_exports_info *ksyms_table_exports(const struct ksyms_table *tab);

/**
 * The export status of symbol @p index (table order).  @return false if
 * the table's exports are unknown or @p index is out of range; otherwise
 * @p ret->kind is KSYMS_EXPORT_NONE for a symbol that is not exported.
 */
KSYMS_API bool ksyms_table_export(const struct ksyms_table *tab, size_t index, struct ksyms_export *ret);

/** @return how many ksymtab entries were read (0 when unknown). */
KSYMS_API size_t ksyms_table_export_count(const struct ksyms_table *tab);
/** Entry @p i, in ksymtab order (by section, then by name); false past the end. */
KSYMS_API bool ksyms_table_export_at(const struct ksyms_table *tab, size_t i, struct ksyms_export *ret);

/** @return the kernel macro for a kind: "EXPORT_SYMBOL_GPL", ...; "" for NONE. */
KSYMS_API const char *ksyms_export_kind_name(enum ksyms_export_kind kind);

/* ------------------------------------------------------------------------ */
/** @name The embedded .config (CONFIG_IKCONFIG) */

/**
 * Extract the kernel's own .config, stored gzip-compressed between the
 * markers "IKCFG_ST" and "IKCFG_ED" (kernel/configs.c, what
 * scripts/extract-ikconfig looks for).  Every layer of @p img is searched,
 * innermost first, then the file itself.  On success *ret is a NUL-terminated copy to free with
 * ksyms_free() and *ret_len its length.  KSYMS_ERR_NOT_FOUND means the
 * kernel was built without CONFIG_IKCONFIG (or with =m: then it is in
 * configs.ko); KSYMS_ERR_UNSUPPORTED that this build lacks zlib.
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_image_config(const struct ksyms_image *img, char **ret, size_t *ret_len);

/**
 * The "Linux version ..." banner of the kernel in @p img (linux_banner,
 * without its newline): a NUL-terminated copy in *ret to free with
 * ksyms_free().  KSYMS_ERR_NOT_FOUND if the kernel data has none.
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *ksyms_image_banner(const struct ksyms_image *img, char **ret);

/* ------------------------------------------------------------------------ */
/** @name BTF: the kernel's type information (CONFIG_DEBUG_INFO_BTF) */

/** Where the kernel's BTF blob is: what the booted kernel shows as /sys/kernel/btf/vmlinux. */
struct ksyms_btf_info {
	uint64_t offset;      /**< file offset of the blob in the kernel data (the last layer) */
	uint64_t size;        /**< bytes */
	bool has_address;     /**< @ref address is known */
	uint64_t address;     /**< its virtual address (__start_BTF) */
	uint32_t num_types;   /**< types in the blob: ids 1..num_types (0 is void) */
	enum ksyms_byte_order byte_order;
	/** "__start_BTF/__stop_BTF symbols", "ELF .BTF section" or "scan for the BTF header" */
	const char *found_by;
};

/**
 * Find the kernel's BTF in @p img: by an ELF vmlinux's .BTF section header,
 * by __start_BTF/__stop_BTF when the kallsyms table has data symbols, or
 * else by scanning for a BTF header.  @p tab is the table decoded from @p
 * img; when NULL, the tables are decoded here with @p find (may be NULL),
 * only as far as the symbols (no export table, no verification), and a
 * kernel whose tables do not decode is scanned.
 * Every candidate is validated (magic 0xeB9F, version 1, header length,
 * type and string sections inside the blob, strings NUL-terminated, every
 * type of a known kind, within bounds, naming strings and types that
 * exist) before it is accepted.  *ret_data (if not NULL) points at the
 * blob inside the image: valid while @p img lives.  KSYMS_ERR_NOT_FOUND
 * means the kernel has no BTF.
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_image_btf(const struct ksyms_image *img, struct ksyms_table *tab, const struct ksyms_find_opts *find,
		struct ksyms_btf_info *ret, const void **ret_data);

/* ------------------------------------------------------------------------ */
/** @name Writing an ELF for debuggers and disassemblers
 *
 * ksyms_elf_write() turns any kernel image into an ELF that gdb, objdump,
 * readelf, nm and disassemblers read: the kernel's bytes loaded at their
 * virtual addresses, sections where the kernel's own boundary symbols put
 * them (_stext/_etext, __start_rodata/__end_rodata, _sdata/_edata,
 * __bss_start/__bss_stop, ...), named as its linker script names them, and
 * a .symtab with every symbol, sized as the kernel's %pS sizes them.  An
 * ELF vmlinux keeps its own sections and program headers.
 */

/**
 * Receives the output, in order; returns 0, or an errno value to stop the
 * writing (ksyms_elf_write() then fails with KSYMS_ERR_OS).
 */
typedef int ksyms_write_fn(void *ctx, const void *data, size_t len);

/** Options for ksyms_elf_write(). */
struct ksyms_elf_opts {
	size_t sz;
	/**
	 * Take the symbols from this table (a System.map, a /proc/kallsyms
	 * booted without KASLR) instead of the image's own; its module symbols
	 * are left out.  NULL: the image's table.
	 */
	struct ksyms_table *symbols;
	/** Add @ref slide to every address (modulo the word size): an ELF for
	 *  a KASLR boot, at its run-time addresses.  Absolute symbols stay. */
	bool has_slide;
	uint64_t slide;
	ksyms_log_fn *log;
	void *log_ctx;
	enum ksyms_log_level log_level;
};

/** What was written. */
struct ksyms_elf_result {
	uint64_t size;             /**< bytes written */
	bool kept_input_sections;  /**< the input was an ELF with section headers: they were kept */
	/** The sections were found from boundary symbols and symbol types of a
	 *  table with data symbols; false for a table of text symbols only
	 *  (no CONFIG_KALLSYMS_ALL), whose non-text bytes are a few large
	 *  sections. */
	bool data_symbols;
	size_t sections;           /**< section headers, the null one included */
	size_t symbols;            /**< .symtab entries, the null one excluded */
	size_t absolute;           /**< of which absolute (A, a) */
	/** symbols whose type letter nm cannot print as the table has it (the
	 *  letter has no ELF form, or no section holds the symbol) */
	size_t letter_mismatches;
	bool has_btf;              /**< a .BTF section is there */
};

/**
 * Write @p img as an ELF through @p write.  @p tab is the table decoded
 * from @p img (its base address, word size and byte order place a raw
 * image's bytes; NULL only for an ELF input with opts->symbols).  The
 * kernel's bytes are passed through, not copied: beyond the image, the
 * writer holds the symbol table and section headers.  *ret (may be NULL)
 * says what was written.
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_elf_write(const struct ksyms_image *img, struct ksyms_table *tab, const struct ksyms_elf_opts *opts,
		ksyms_write_fn *write, void *write_ctx, struct ksyms_elf_result *ret);

/* ------------------------------------------------------------------------ */
/** @name Symbolizing kernel logs
 *
 * Annotate a kernel log (dmesg, oops, panic, warning, KASAN, lockdep,
 * hung-task and soft-lockup reports, raw stack dumps) with the symbol of
 * every kernel address in it, as %pS prints it ("func+0x1c/0x80 [mod]"),
 * leaving every other byte as it was.  A log shows run-time addresses; the
 * KASLR slide (run-time address minus table address) is given by the
 * caller or read from the log: a "Kernel Offset:" line, or frames that show
 * both an address and the symbol the kernel printed for it.  Symbols the
 * log already names are checked against the table: a disagreement means
 * the table is not from the kernel that wrote the log.
 *
 * Use: create a symbolizer on a table, pass every line to
 * ksyms_symbolizer_scan() (the evidence can come after the frames it
 * explains: a panic prints its Kernel Offset line last), then every line
 * to ksyms_symbolize_line().  A streaming caller may alternate the two per
 * line; the slide then follows the evidence seen so far.  Symbolizing a
 * line allocates nothing once the buffers have grown to the longest line.
 * Lines are byte strings: they need no NUL and may hold any bytes.
 */

/** Where the slide in use came from. */
enum ksyms_slide_source {
	KSYMS_SLIDE_NONE = 0,      /**< no evidence: 0 is assumed */
	KSYMS_SLIDE_GIVEN,         /**< the caller's slide or base */
	KSYMS_SLIDE_KERNEL_OFFSET, /**< a "Kernel Offset: 0x... from 0x..." line */
	KSYMS_SLIDE_FRAMES,        /**< addresses logged next to the symbol they resolve to */
};

/** Options for ksyms_symbolizer_create(). */
struct ksyms_symbolize_opts {
	size_t sz;
	bool has_slide;
	uint64_t slide;    /**< run-time minus table address, modulo the word size */
	bool has_base;
	uint64_t base;     /**< run-time address of _text; the slide is this minus the table's _text */
	/**
	 * Rewrite the addresses a kernel without kallsyms prints for %pS
	 * ("0x" and the address padded to the pointer width) as
	 * "func+0x1c/0x80", the way a kernel with kallsyms prints them, and
	 * annotate nothing else: the log as it would have been.
	 */
	bool replace;
};

/** The slide in use and what it rests on. */
struct ksyms_slide_info {
	enum ksyms_slide_source source;
	uint64_t slide;
	size_t offset_line;       /**< 1-based scanned line of the first Kernel Offset line; 0 if none */
	uint64_t kernel_offset;   /**< that line's offset */
	uint64_t link_text;       /**< and its "from" address: where _text was linked */
	bool offset_conflict;     /**< a later Kernel Offset line says otherwise (two boots in one log) */
	bool text_mismatch;       /**< link_text is not the table's _text (nor, for a run-time table, _text minus the offset) */
	size_t frames;            /**< frames showing an address and a kernel symbol */
	size_t frames_agree;      /**< of which the slide explains */
};

enum ksyms_annotation_kind {
	KSYMS_ANNOT_ADDRESS = 1, /**< an address the table resolves: annotated (or replaced) */
	KSYMS_ANNOT_CHECKED,     /**< a symbol the log names, and the table agrees */
	KSYMS_ANNOT_MISMATCH,    /**< a symbol the log names, and the table disagrees: the line is marked */
	KSYMS_ANNOT_UNCHECKED,   /**< a symbol the log names that the table cannot confirm or deny */
};

/** One finding in a line.  Strings are borrowed from the table or static. */
struct ksyms_annotation {
	enum ksyms_annotation_kind kind;
	size_t start, len;        /**< the address, or the logged "func+0x1c/0x80 [mod]", in the input line (bytes) */
	bool has_addr;            /**< the log shows an address here (for a logged symbol: just before it) */
	uint64_t addr;            /**< that address, as logged */
	bool resolved;            /**< @ref match holds what the table has at addr minus the slide */
	struct ksyms_match match;
	const char *reason;       /**< for a mismatch: what the table says, as a phrase */
};

/** Counts over every line symbolized so far. */
struct ksyms_symbolize_stats {
	size_t lines;
	size_t annotated;      /**< addresses annotated or replaced */
	size_t checked;        /**< logged symbols the table confirms */
	size_t mismatches;     /**< logged symbols the table contradicts */
	size_t mismatch_lines; /**< lines with at least one */
	size_t unchecked;      /**< logged symbols that could not be checked (modules the table lacks) */
};

struct ksyms_symbolizer;

/**
 * Create a symbolizer on @p tab (borrowed: it must outlive the
 * symbolizer).  Builds the table's lookup indexes.  KSYMS_ERR_NOT_FOUND if
 * @p opts gives a base and the table has no _text.
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_symbolizer_create(struct ksyms_table *tab, const struct ksyms_symbolize_opts *opts,
			struct ksyms_symbolizer **ret);

KSYMS_API void ksyms_symbolizer_destroy(struct ksyms_symbolizer *s);

/** Gather slide evidence from one line (a trailing newline is allowed). Only fails when out of memory. */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_symbolizer_scan(struct ksyms_symbolizer *s, const char *line, size_t len);

/** @return the slide in use, settled from the evidence scanned so far. */
KSYMS_API const struct ksyms_slide_info *ksyms_symbolizer_slide(struct ksyms_symbolizer *s);

/**
 * Symbolize one line (with or without its newline, which is kept).  *ret
 * and *ret_len: the annotated line, valid until the next call.  Only fails
 * when out of memory.
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_symbolize_line(struct ksyms_symbolizer *s, const char *line, size_t len, const char **ret,
		     size_t *ret_len);

/** @return the findings of the last ksyms_symbolize_line() call, in line order; their count in *ret_count. */
KSYMS_API const struct ksyms_annotation *ksyms_symbolizer_annotations(const struct ksyms_symbolizer *s,
								      size_t *ret_count);

/** @return counts over every line symbolized so far. */
KSYMS_API const struct ksyms_symbolize_stats *ksyms_symbolizer_stats(const struct ksyms_symbolizer *s);

/** @return a short name for a slide source: "none", "given", "kernel-offset", "frames". */
KSYMS_API const char *ksyms_slide_source_name(enum ksyms_slide_source src);

/* ------------------------------------------------------------------------ */
/** @name Memory dumps and the kernel log
 *
 * ksyms_image_open() recognises memory dumps by their content: ELF cores
 * (kdump's /proc/vmcore, makedumpfile -E, QEMU dump-guest-memory),
 * kdump-compressed files (makedumpfile, plain or flattened; zlib, lzo,
 * snappy and zstd pages), LiME captures and raw memory that holds the
 * kernel's VMCOREINFO.  The kernel data of such an image is a window of
 * memory that holds the running kernel, at its run-time addresses when
 * VMCOREINFO or the page tables give them: a table read from it is that
 * boot's /proc/kallsyms.
 */

/** What a memory dump says about the kernel in it (ksyms_image_dump()). */
struct ksyms_dump_info {
	const char *format;            /**< "ELF core", "kdump-compressed", "LiME", "raw memory" */
	const char *producer;          /**< "QEMU dump-guest-memory", "makedumpfile", ... or NULL */
	const char *vmcoreinfo_source; /**< where VMCOREINFO came from, or NULL if there is none */
	const char *osrelease;         /**< VMCOREINFO's OSRELEASE (a copy), or NULL */
	const char *va_source;         /**< how the kernel's virtual addresses were found; NULL: inferred by the decoder */
	uint64_t kernel_pa;            /**< physical address of the kernel data's first byte */
	uint64_t missing;              /**< bytes of the kernel data the dump does not hold (read as zero) */
	bool has_kernel_offset;
	uint64_t kernel_offset;        /**< VMCOREINFO's KERNELOFFSET: the KASLR slide of the virtual addresses */
};

/** @return what the dump says, or NULL when @p img is not a memory dump.  Valid while @p img lives. */
KSYMS_API const struct ksyms_dump_info *ksyms_image_dump(const struct ksyms_image *img);
/** The physical address of kernel-data offset @p offset of a memory dump; false if not a dump or out of range. */
KSYMS_API bool ksyms_image_paddr(const struct ksyms_image *img, uint64_t offset, uint64_t *ret);

/** One record of the kernel log. */
struct ksyms_log_record {
	uint64_t seq;
	uint64_t ts_nsec;    /**< the timestamp, nanoseconds since boot (local_clock) */
	bool has_caller;
	uint32_t caller_id;  /**< CONFIG_PRINTK_CALLER's id: a task id, or 0x80000000 | the CPU */
	uint8_t level, facility;
	const char *text;    /**< NUL-terminated; may hold '\n' for a multi-line record */
	size_t text_len;
	size_t text_off_;    /**< private */
	bool has_time;       /**< false: a line of a pre-3.5 character log_buf, whose text holds the time as
				  the kernel wrote it ("[    1.234567] ..."); ts_nsec is 0 */
	bool has_level;      /**< false: such a line did not start with "<level>" */
};

struct ksyms_dmesg;

/**
 * Read the kernel log buffer of the memory dump @p img: the lockless printk
 * ring buffer of 5.10+, the log_buf records of 3.5-5.9, or the character
 * log_buf before 3.5; with VMCOREINFO's symbols and offsets when the dump
 * has them, else with the kernels' own layouts and the variables' addresses
 * from @p tab (may be NULL), every record checked.  KSYMS_ERR_NOT_FOUND if @p img is not a dump or
 * has no log; records that cannot be read are skipped and counted
 * (ksyms_dmesg_partial()).
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_dmesg_read(const struct ksyms_image *img, const struct ksyms_table *tab, struct ksyms_dmesg **ret);
KSYMS_API size_t ksyms_dmesg_count(const struct ksyms_dmesg *m);
/** @return record @p i in sequence order, or NULL past the end. */
KSYMS_API const struct ksyms_log_record *ksyms_dmesg_record(const struct ksyms_dmesg *m, size_t i);
/** @return where the log was found and how it was read, one line. */
KSYMS_API const char *ksyms_dmesg_source(const struct ksyms_dmesg *m);
/** @return NULL, or why the log is partial (records skipped). */
KSYMS_API const char *ksyms_dmesg_partial(const struct ksyms_dmesg *m);
KSYMS_API void ksyms_dmesg_destroy(struct ksyms_dmesg *m);

/* ------------------------------------------------------------------------ */
/** @name Generating kallsyms tables (the reverse of decoding) */

/** One input symbol for the generator. */
struct ksyms_gen_symbol {
	uint64_t addr;
	const char *name;
	char type;
};

/** Options for ksyms_generate(). */
struct ksyms_gen_opts {
	size_t sz;
	struct ksyms_layout layout;       /**< use ksyms_layout_preset() */
	int word_size;                    /**< 4 or 8 */
	enum ksyms_byte_order byte_order; /**< little or big */
	uint64_t base;                    /**< virtual address of the image's first byte */
	/** Apply the kernel build's ignore lists (kallsyms-format.md section 4)
	 *  before encoding; if false, they are skipped (text_only and
	 *  absolute_percpu still apply). */
	bool filter;
	/** Keep only text symbols, as a build without CONFIG_KALLSYMS_ALL does. */
	bool text_only;
	/** x86-64 absolute per-cpu: symbols in [__per_cpu_start, __per_cpu_end] become 'A'. */
	bool absolute_percpu;
	/** Wrap the tables in an ELF (true) or a raw image (false). */
	bool elf;
	/** Optional "Linux version ..." banner to embed; NULL for a default one. */
	const char *banner;
};

/** What the generator produced. */
struct ksyms_gen_result {
	void *data;     /**< the image; free with ksyms_free() */
	size_t size;
	size_t num_syms; /**< symbols kept after filtering */
	struct ksyms_table_loc tables[KSYMS_TAB_COUNT];
};

/**
 * Build kallsyms tables from @p syms the way scripts/kallsyms does (filter,
 * sort with the alias tie-breaks, greedy token table, markers,
 * seqs_of_names) and wrap them in a synthetic image.
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_generate(const struct ksyms_gen_symbol *syms, size_t count, const struct ksyms_gen_opts *opts,
	       struct ksyms_gen_result *ret);

/* ------------------------------------------------------------------------ */
/** @name Comparing two symbol tables
 *
 * ksyms_diff_create() pairs the symbols of table A with those of table B
 * by name and sorts every symbol into same / moved / only in A / only in
 * B.  Any two sources compare: System.map against /proc/kallsyms, an image
 * against its System.map, two images.
 *
 * - Module symbols are paired only with symbols of the same module, and
 *   only when both tables have module symbols; otherwise they are skipped.
 * - Addresses are compared at 32 bits when one table is 32-bit and every
 *   address of the other is a 32-bit value, zero- or sign-extended (a
 *   32-bit MIPS System.map prints 80100000 as ffffffff80100000).
 * - The slide is the most common non-zero difference B - A among names
 *   that occur once on each side, when more than half of them moved by it
 *   (a KASLR'd /proc/kallsyms against its System.map).
 * - A name defined more than once (static symbols) is matched copy by
 *   copy: first where B = A + slide, then at equal addresses, then the
 *   rest in address order; copies left over are only in A or only in B.
 * - Differences the kernel build explains are marked with a reason and
 *   counted apart (kallsyms-format.md section 4): between a kallsyms table
 *   (an image or /proc/kallsyms) and an nm list (System.map or a .symtab),
 *   or between a System.map and a .symtab.  Two tables of the same kind
 *   have no excuses.
 *
 * The diff borrows both tables: they must outlive it.
 */

enum ksyms_diff_kind {
	KSYMS_DIFF_SAME = 0, /**< the name at the same address in both */
	KSYMS_DIFF_MOVED,    /**< the name at another address */
	KSYMS_DIFF_ONLY_A,   /**< only in A */
	KSYMS_DIFF_ONLY_B,   /**< only in B */
};

/** Why a difference is expected. */
enum ksyms_diff_reason {
	KSYMS_DIFF_UNEXPLAINED = 0,
	KSYMS_DIFF_SLIDE,          /**< moved by exactly the slide */
	KSYMS_DIFF_ABSOLUTE,       /**< absolute ('A', 'a'): kallsyms keeps none, System.map no 'a' */
	KSYMS_DIFF_DROPPED_TYPE,   /**< undefined or debugging type (U, u, N, n, w, v) */
	KSYMS_DIFF_LOCAL_LABEL,    /**< assembler local or mapping symbol ($x, .L*, L0) */
	KSYMS_DIFF_BUILD_FILTER,   /**< a name the build filters: __crc_, __kstrtab_, thunks, veneers, ... */
	KSYMS_DIFF_KALLSYMS_TABLE, /**< kallsyms_* tables, which kallsyms left out of itself before 6.4 */
	KSYMS_DIFF_OUTSIDE_TEXT,   /**< outside the text ranges, which alone a kernel without CONFIG_KALLSYMS_ALL keeps */
	KSYMS_DIFF_PERCPU,         /**< x86-64 per-cpu symbol that kallsyms shows as 'A' (3.15 -> ~6.14) */
	KSYMS_DIFF_REASON_COUNT
};

/** Options for ksyms_diff_create(). */
struct ksyms_diff_opts {
	size_t sz;
	/** Compare only the symbols this accepts (each table's own symbols
	 *  are offered to it); NULL = all. */
	bool (*filter)(void *ctx, const struct ksyms_symbol *sym);
	void *filter_ctx;
	/** Give no reasons but the slide: every other difference counts. */
	bool strict;
};

/** One name (or one copy of a duplicated name), as it is in A and in B. */
struct ksyms_diff_entry {
	enum ksyms_diff_kind kind;
	/** UNEXPLAINED if anything about the entry differs for no known reason */
	enum ksyms_diff_reason reason;
	bool type_changed;        /**< in both, with different type letters */
	bool slid;                /**< moved by exactly the slide */
	size_t a_index, b_index;  /**< table indices; SIZE_MAX on the side without the symbol */
	struct ksyms_symbol a, b; /**< all zero on the side without the symbol */
};

struct ksyms_diff_summary {
	unsigned addr_bits;        /**< 32 or 64: how wide addresses were compared */
	size_t a_compared, b_compared; /**< symbols of each table that took part */
	size_t a_filtered, b_filtered; /**< left out by the filter */
	size_t a_modules_skipped, b_modules_skipped; /**< module symbols, when the other table has none */
	size_t same, moved, only_a, only_b;
	size_t type_changed;       /**< paired entries (same or moved) whose type letters differ */
	size_t moved_by_slide;
	bool has_slide;
	uint64_t slide;            /**< B - A, modulo 2^addr_bits */
	bool text_only;            /**< the kallsyms side keeps only text symbols (no CONFIG_KALLSYMS_ALL) */
	/** Entries that differ, by reason; [KSYMS_DIFF_UNEXPLAINED] is the unexplained ones. */
	size_t by_reason[KSYMS_DIFF_REASON_COUNT];
	size_t unexplained;        /**< = by_reason[KSYMS_DIFF_UNEXPLAINED] */
};

struct ksyms_diff;

/**
 * Compare @p a with @p b.  Fails with KSYMS_ERR_INVALID_ARGUMENT if either
 * table's addresses are hidden (a /proc/kallsyms read under kptr_restrict).
 */
KSYMS_API KSYMS_MUST_CHECK struct ksyms_error *
ksyms_diff_create(const struct ksyms_table *a, const struct ksyms_table *b, const struct ksyms_diff_opts *opts,
		  struct ksyms_diff **ret);

KSYMS_API void ksyms_diff_destroy(struct ksyms_diff *d);

/** @return the counts; valid until the diff is destroyed. */
KSYMS_API const struct ksyms_diff_summary *ksyms_diff_summary(const struct ksyms_diff *d);

/** @return how many entries there are: one per pair and one per unpaired symbol. */
KSYMS_API size_t ksyms_diff_count(const struct ksyms_diff *d);

/**
 * Entry @p i.  Entries are ordered by kind (same, moved, only in A, only
 * in B), then by address (A's, or B's for only in B), then by name.
 * @return false past the end.
 */
KSYMS_API bool ksyms_diff_entry(const struct ksyms_diff *d, size_t i, struct ksyms_diff_entry *ret);

/** @return "same", "moved", "only-a", "only-b". */
KSYMS_API const char *ksyms_diff_kind_name(enum ksyms_diff_kind kind);
/** @return a short name for a reason: "slide", "absolute", "outside-text", ...; "" for UNEXPLAINED. */
KSYMS_API const char *ksyms_diff_reason_name(enum ksyms_diff_reason reason);
/** @return why a reason holds, in a few words, for people. */
KSYMS_API const char *ksyms_diff_reason_text(enum ksyms_diff_reason reason);

/** Free memory the library handed to the caller. */
KSYMS_API void ksyms_free(void *p);

#ifdef __cplusplus
}
#endif

#endif /* KSYMS_H */
