/*
 * date.c - calendar dates as day numbers, so date windows are integer
 * arithmetic and never depend on the wall clock, the time zone or libc's
 * handling of impossible dates.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "evaluator/internal.h"

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int emh_date_parse(long *days, const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	long m = (s[5] - '0') * 10 + (s[6] - '0');
	long d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1)
		return -1;
	long last = mdays[m - 1] + (m == 2 && is_leap(y));
	if (d > last)
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

void emh_date_format(char dst[11], long days)
{
	/* Inverse of days_from_civil (Howard Hinnant's algorithm). */
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	unsigned yy = (unsigned)(((y % 10000) + 10000) % 10000);
	unsigned mm = (unsigned)m, dd = (unsigned)d;
	const unsigned parts[8] = { yy / 1000, yy / 100 % 10, yy / 10 % 10, yy % 10,
	                            mm / 10 % 10, mm % 10, dd / 10 % 10, dd % 10 };
	static const int at[8] = { 0, 1, 2, 3, 5, 6, 8, 9 };
	dst[4] = dst[7] = '-';
	for (int i = 0; i < 8; i++)
		dst[at[i]] = (char)('0' + parts[i]);
	dst[10] = '\0';
}

int emh_source_date_epoch(long long *seconds)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (!sde || *sde < '0' || *sde > '9')
		return -1;
	char *end = NULL;
	errno = 0;
	long long v = strtoll(sde, &end, 10);
	if (errno || *end)
		return -1;
	*seconds = v;
	return 0;
}
