# Sourced by the mitre cases.  The bundled ATT&CK copy is found beside the
# programs (bin/../data), except in sanitizer builds, whose programs live
# in build/san/bin: point every case at the source tree's data.
TRIAGE_DATA_DIR=$TOP
export TRIAGE_DATA_DIR
