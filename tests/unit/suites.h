/* The unit-test suites, one per evaluator module (X-macro list used by main.c). */
EMH_SUITE(buf)
EMH_SUITE(json)
EMH_SUITE(source)
EMH_SUITE(criteria)
EMH_SUITE(eval)
EMH_SUITE(submission)
EMH_SUITE(report)
EMH_SUITE(audit)
