# Sourced by the mitre cases.  The bundled ATT&CK copy is found beside the
# programs (bin/../data, or build/san/bin/../../../data in a sanitizer
# build); nothing needs setting.
