/*
 * emheval.h - the whole public API of libemheval.
 *
 * Ownership, the one rule: an object returned through **out is the caller's
 * and is freed with emh_<type>_free (which accepts NULL); a pointer returned
 * by a getter is borrowed and lives as long as its parent; a struct the
 * caller allocated (emh_buf, emh_error) is cleaned with its _dispose/_clear.
 *
 * cJSON: the first JSON document libemheval reads (criteria, submission,
 * dossier) installs cJSON hooks (cJSON_InitHooks) that put a submission's tree
 * in an arena while it is parsed and call malloc and free otherwise. A program
 * that sets cJSON hooks of its own must not also use libemheval, and should
 * let libemheval read its first document before other threads use cJSON.
 */
#ifndef EMHEVAL_H
#define EMHEVAL_H

/* The version: written here only (dossiers record it; --version and the man page print it). */
#define EMHEVAL_VERSION "0.1.0"

#include "emheval/audit.h"
#include "emheval/buf.h"
#include "emheval/criteria.h"
#include "emheval/dossier.h"
#include "emheval/error.h"
#include "emheval/eval.h"
#include "emheval/gate.h"
#include "emheval/io.h"
#include "emheval/report.h"
#include "emheval/submission.h"

#endif
