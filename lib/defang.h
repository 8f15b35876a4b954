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

/* A new refanged copy (free it); NULL on no memory. */
char	*refang(const char *s);

/*
 * Defangs every URL, IP address, domain and mail address found in free
 * text (a model's summary), leaving the rest alone.  A new string.
 */
char	*defang_text(const char *s);

#endif
