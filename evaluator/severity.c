/*
 * severity.c - the names of a criterion's severity. They belong to the
 * criteria (framework weights, the verdict policy, each criterion's
 * "severity"), so compile.c and framework.c read them here, below the dossier,
 * rather than calling up into it.
 */
#include <string.h>
#include "emheval/criteria.h"

static const char *const severity_names[EMH_SEVERITY__COUNT] = {
	"blocker", "major", "minor", "advisory",
};

const char *emh_severity_name(emh_severity s)
{
	return (unsigned)s < EMH_SEVERITY__COUNT ? severity_names[s] : "?";
}

int emh_severity_parse(emh_severity *out, const char *name)
{
	for (int i = 0; name && i < EMH_SEVERITY__COUNT; i++)
		if (strcmp(severity_names[i], name) == 0) {
			*out = (emh_severity)i;
			return 0;
		}
	return EMH_EINVALID;
}
