// SPDX-License-Identifier: MIT
/*
 * The embedded .config (CONFIG_IKCONFIG) and banner readers on an image
 * opened from arbitrary bytes with small caps: a config found is a
 * NUL-terminated string of the stated length, a banner starts with
 * "Linux version".
 */
#include <string.h>

#include "fuzz.h"
#include "ksyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	KSYMS_OPTS(ksyms_open_opts, oo, .max_output = 4u << 20, .max_depth = 4);
	struct ksyms_image *img;
	struct ksyms_error *err = ksyms_image_open_mem(data, size, &oo, &img);

	if (err) {
		ksyms_error_destroy(err);
		return 0;
	}
	char *cfg = NULL, *banner = NULL;
	size_t len = 0;
	err = ksyms_image_config(img, &cfg, &len);
	if (!err)
		fuzz_check(cfg && strlen(cfg) <= len && cfg[len] == 0);
	ksyms_error_destroy(err);
	err = ksyms_image_banner(img, &banner);
	if (!err)
		fuzz_check(strncmp(banner, "Linux version ", 14) == 0);
	ksyms_error_destroy(err);
	ksyms_free(cfg);
	ksyms_free(banner);
	ksyms_image_destroy(img);
	return 0;
}
