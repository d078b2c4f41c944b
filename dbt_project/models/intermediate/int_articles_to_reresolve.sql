-- The articles whose resolved mentions and detentions this run (re)builds: every article
-- int_article_changes rebuilds, and every unchanged article that names a person,
-- organization or party whose name now resolves to another identity, because a new article
-- linked two names (a near spelling, the one owner of a surname, the reference entity of a
-- name key: see int_actor_name_clusters and int_party_name_clusters). See macros/incremental.sql.
-- What each mention's name resolved to in the base build is read by name from
-- int_actor_mentions_resolved and int_party_mentions_resolved, before this run replaces them.
{%- set previous_actor_mentions = previous_build_relation(this.schema, 'int_actor_mentions_resolved') %}
{%- set previous_party_mentions = previous_build_relation(this.schema, 'int_party_mentions_resolved') %}
-- depends_on: {{ ref('int_actor_name_clusters') }}
-- depends_on: {{ ref('int_party_name_clusters') }}
with changed_articles as (

    select article_id, change
    from {{ ref('int_article_changes') }}
    where rebuild

),

reresolved as (

    {% if previous_actor_mentions is not none and previous_party_mentions is not none -%}
    select previous.article_id
    from {{ previous_actor_mentions }} as previous
    left join {{ ref('int_actor_name_clusters') }} as names
        on previous.entity_type = names.entity_type
        and previous.name_key is not distinct from names.name_key
        and previous.ref_id is not distinct from names.ref_id
    where previous.name_cluster_key is distinct from names.name_cluster_key
        or previous.surname_owner_key is distinct from names.surname_owner_key

    union

    select previous.article_id
    from {{ previous_party_mentions }} as previous
    left join {{ ref('int_party_name_clusters') }} as names
        on previous.name_key is not distinct from names.name_key
        and previous.ref_id is not distinct from names.ref_id
    where previous.cluster_key is distinct from names.cluster_key
    {%- else -%}
    select null::varchar as article_id
    where false
    {%- endif %}

)

select article_id, change
from changed_articles

union all

select distinct reresolved.article_id, 'identity' as change
from reresolved
anti join changed_articles on reresolved.article_id = changed_articles.article_id
