#include "check.h"
static void
openai_run(const struct mock_request *req, const json_t *opts, struct verdict *v)
{
	(void)req; (void)opts; (void)v;
}
const struct check check_openai = { .name = "openai", .run = openai_run };
