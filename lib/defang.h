/*
 * defang: make indicators safe to paste (nobody clicks hxxps://evil[.]com
 * by accident) and undo it on input.  Defanging changes the scheme
 * (http -> hxxp, ftp -> fxp) and the last dot of the host (1.2.3[.]4,
 * evil.example[.]com), and @ in mail addresses to [@].  Refanging accepts
 * the common forms: hxxp, hxxps, fxp, [.], (.), {.}, [dot], (dot), [:],
 * [://], [@], [at].
 */
#ifndef TRIAGE_DEFANG_H
#define TRIAGE_DEFANG_H

/* A new defanged copy of an indicator (free it); NULL on no memory.
 * Text that is not an indicator comes back unchanged. */
char	*defang(const char *s);

/* A new refanged copy (free it), nested forms such as "hxxp[:]//"
 * included; NULL on no memory. */
char	*refang(const char *s);

/*
 * Defangs every URL, IP address, domain and mail address found in free
 * text (a model's summary), leaving the rest alone.  A new string.  A host
 * with a port or a path but no scheme (203.0.113.5:4444,
 * evil.example/x) has its host defanged.  Names ending in a file extension
 * (powershell.exe, invoice.pdf) are files; where the extension is also a
 * top-level domain (.zip, .sh, .py, .so, .cab, .mov) a two-label name
 * alone (setup.py) is still a file, but three labels, a port or a path
 * (cdn.evil.zip, evil.zip:443, evil.zip/a) make it a host.
 */
char	*defang_text(const char *s);

#endif
