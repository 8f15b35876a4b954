/*
 * import: placeholder until the local workspace (issue #4) lands.
 */
#include "backend.h"
#include "cli.h"

int
kql_import_main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	cli_warn("import is not implemented yet (issue #4)");
	return EXIT_FAIL;
}
