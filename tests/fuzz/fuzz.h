/*
 * fuzz.h - what the fuzz targets share: the libFuzzer entry points, a fixed
 * criteria set that uses every operator of the expression language, and a
 * helper that renders a dossier in every format and checks that its JSON
 * form reads back to the same bytes.
 *
 * Each target is built two ways (Makefile): with clang and libFuzzer for
 * `make fuzz`, and with the standalone driver (standalone.c) under gcc, which
 * replays tests/fuzz/regressions/ and the seed corpora in `make test`.
 * Problems are reported with abort(), which both builds treat as a finding.
 */
#ifndef EMH_TESTS_FUZZ_H
#define EMH_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include "emheval/emheval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The formats emh_fuzz_render_all renders: every one emh_report_render knows. */
#ifndef EMH_FUZZ_FORMATS
#define EMH_FUZZ_FORMATS EMH_FORMAT__COUNT
#endif

/* The framework.json of the fixed set (also the fixed one of fuzz_criteria). */
extern const char emh_fuzz_framework[];

/* The fixed criteria set, compiled once; aborts if it does not compile. */
const emh_criteria *emh_fuzz_criteria(void);

/*
 * Renders d in every format, then checks that the JSON form parses back
 * (emh_dossier_parse) and renders to the same bytes. Aborts on a failure
 * other than a buffer limit.
 */
void emh_fuzz_render_all(const emh_dossier *d);

/* Prints what went wrong and aborts: a finding. */
void emh_fuzz_fail(const char *what, const emh_error *err) __attribute__((noreturn));

#endif
