/*
 * mitre: the records triage-mitre writes, made from the ATT&CK index
 * (docs/records.md has the contract; record.c builds them).
 */
#ifndef TRIAGE_MITRE_H
#define TRIAGE_MITRE_H

#include <stdint.h>

#include <jansson.h>

#include "attack.h"
#include "attack_store.h"

/* Descriptions are cut to this many characters; negative: whole. */
extern long	mitre_max_description;

/* The technique record for row (found), with "score" when score > 0. */
json_t	*mitre_technique(const struct attack_index *ix, uint32_t row,
	    int score);
/* {"type":"technique","id":id,"found":false,"dataset":{...}}. */
json_t	*mitre_not_found(const struct attack_index *ix, const char *id);
/* A technique record for an ID as asked: found or not. */
json_t	*mitre_answer(const struct attack_index *ix, const char *id,
	    size_t len, int *found);
/* The tactic record for row, with its techniques. */
json_t	*mitre_tactic(const struct attack_index *ix, uint32_t row);
/* The attack_dataset record: version, counts, where the index is. */
json_t	*mitre_dataset_record(const struct attack_store *st);

#endif
