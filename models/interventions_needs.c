/* interventions_needs.c — which model carries out each intervention type,
 * so that a scenario whose `models` key leaves that model out is refused
 * instead of paying for an intervention nothing carries out. */
#include "interventions.h"

#include <stdio.h>
#include <string.h>

/* The models that carry a type out (MODELS.md § 4). housing_on_release is
 * re-offending's, which also needs housing's lets: re-offending's own needs
 * say so. */
static const char *const carried_out_by[INTERVENTION_TYPES] = {
    [INTERVENTION_REPAIR_TEAMS] = "housing",
    [INTERVENTION_VOID_SECURITY] = "housing",
    [INTERVENTION_FAST_LETTING] = "housing",
    [INTERVENTION_HOTSPOT_PATROLS] = "crime",
    [INTERVENTION_HOUSING_ON_RELEASE] = "reoffending",
    [INTERVENTION_EMPLOYMENT_SUPPORT] = "reoffending",
    [INTERVENTION_INTENSIVE_SUPERVISION] = "reoffending",
};

const char *interventions_needs(const scenario *s, const char *const *running, size_t n_running,
                                char *why, size_t whylen)
{
    const scn_node *list = scenario_find(s, "interventions");
    for (size_t i = 0; list && i < list->n_children; i++) {
        const scn_node *entry = list->children[i];
        const char *type = scn_member_string(entry, "type");
        for (size_t t = 0; t < INTERVENTION_TYPES; t++) {
            if (strcmp(intervention_type_names[t], type) != 0 ||
                model_list_has(running, n_running, carried_out_by[t])) {
                continue;
            }
            snprintf(why, whylen, "intervention %s (%s:%d) is a %s, which %s carries out; "
                     "leave it out to run without %s", scn_member_string(entry, "name"),
                     entry->file, entry->line, type, carried_out_by[t], carried_out_by[t]);
            return carried_out_by[t];
        }
    }
    return NULL;
}
