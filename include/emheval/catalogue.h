/*
 * catalogue.h - rendering a criteria set itself (not a dossier): the list of
 * criteria with their references, for docs/criteria.md and for maintainers.
 */
#ifndef EMHEVAL_CATALOGUE_H
#define EMHEVAL_CATALOGUE_H

#include "emheval/buf.h"
#include "emheval/criteria.h"
#include "emheval/error.h"

/*
 * Appends the catalogue of set in Markdown (markdown = 1: grouped by domain,
 * one section per criterion, with references, applicability, prerequisites,
 * reviewer guidance and remediation) or as a tab-separated table
 * (markdown = 0: id, version, domain, severity, kind, title).
 */
int emh_catalogue_render(emh_buf *out, const emh_criteria *set, int markdown,
                         emh_error *err);

#endif
