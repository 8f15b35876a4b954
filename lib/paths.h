/*
 * paths: where a program finds its siblings and its data, the same way in
 * the source tree (bin/ beside data/, prompts/, ...) and when installed
 * (PREFIX/bin beside PREFIX/share/triage).  TRIAGE_DATA_DIR overrides.
 */
#ifndef TRIAGE_PATHS_H
#define TRIAGE_PATHS_H

#include <stddef.h>

/* The directory of the running executable.  0 or -1. */
int	 paths_exe_dir(char *out, size_t outsz);

/*
 * The path of program name: beside the running executable when it is there
 * and executable, else name itself (for a PATH search).  Writes out.
 * Returns 1 when found beside us, 0 when left to PATH.
 */
int	 paths_program(const char *name, char *out, size_t outsz);

/*
 * Finds a bundled file by its path relative to the data root ("data/
 * enterprise-attack.json.gz", "prompts/system.md"), trying
 * $TRIAGE_DATA_DIR, EXE/../share/triage, then EXE/.. (a source tree's
 * bin/) and EXE/../../.. (the sanitizer build's build/san/bin/).
 * 0 when found (out holds the path), -1 when not.
 */
int	 paths_data_file(const char *rel, char *out, size_t outsz);

#endif
