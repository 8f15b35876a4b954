/*
 * mitre: placeholder until its issue (#7) lands.  It answers --help and
 * --version and refuses to pretend to work.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static const char synopsis[] = "triage-mitre [--help | --version]";

static const char help_text[] =
"usage: triage-mitre [--help | --version]\n"
"\n"
"Not implemented yet (issue #7).\n";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",    no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	cli_init(argc, argv);
	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cli_help(help_text);
		case 'V':
			cli_version();
		default:
			cli_usage(synopsis);
		}
	}
	cli_die(EXIT_FAIL, "not implemented yet (issue #7)");
}
