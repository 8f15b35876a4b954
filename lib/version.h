/* version: the one place the release number lives. */
#ifndef TRIAGE_VERSION_H
#define TRIAGE_VERSION_H

#define TRIAGE_VERSION "0.1.0"

#endif
