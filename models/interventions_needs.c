/* interventions_needs.c — an intervention needs the model that carries out
 * its type (the model whose catalogue, model_def.intervention_types,
 * declares it), so that a scenario whose `models` key leaves that model out
 * is refused instead of paying for an intervention nothing carries out.
 * housing_on_release is re-offending's, which also needs housing's lets:
 * re-offending's own needs say so. */
#include "interventions.h"

#include <stdio.h>
#include <string.h>

const char *interventions_needs(const scenario *s, const char *const *running, size_t n_running,
                                char *why, size_t whylen)
{
    const scn_node *list = scenario_find(s, "interventions");
    for (size_t i = 0; list && i < list->n_children; i++) {
        const scn_node *entry = list->children[i];
        const char *type = scn_member_string(entry, "type");
        const model_def *carrier = type ? interventions_type_carrier(type) : NULL;
        if (!carrier || model_list_has(running, n_running, carrier->name)) continue;
        snprintf(why, whylen,
                 "intervention %s (%s:%d) is a %s, which %s carries out; "
                 "leave it out to run without %s",
                 scn_member_string(entry, "name"), entry->file, entry->line, type, carrier->name,
                 carrier->name);
        return carrier->name;
    }
    return NULL;
}
