-- Person and organization names resolved to an actor across the whole warehouse: one row per
-- distinct (entity_type, name_key, ref_id) that any mention carries. This is the part of
-- identity resolution that crosses articles; int_actor_mentions_resolved applies it to each
-- article's mentions, and int_article_changes rebuilds every article whose names now resolve
-- to another actor (a new article can link two names).
--
-- Cluster key, in order of preference:
--   1. 'ref:' || ref_id when the extractor matched the mention to the reference seeds;
--   2. the reference entity that other mentions of the same type and name_key were
--      matched to, when exactly one was (an unmatched spelling of a known name);
--   3. entity_type || ':' || name_key;
--   then a person key one edit from another with the same given name, or the same surname,
--   joins it (near_spellings), and a name an article states is another name of a person
--   ('X, who works under the name Y') joins that person (stated_aliases).
-- A lone surname also carries the unique multi-token person cluster with that last name token
-- across the warehouse (surname_owner_key), for articles that name nobody with it.
with names as (

    select distinct entity_type, name_key, ref_id
    from {{ ref('int_mentions_located') }}
    where entity_type in ('person', 'organization')

),

reference_name_keys as (

    select entity_type, name_key, min(ref_id) as ref_id
    from names
    where ref_id is not null
    group by entity_type, name_key
    having count(distinct ref_id) = 1

),

keyed as (

    select
        names.*,
        coalesce(names.ref_id, reference_name_keys.ref_id) as resolved_ref_id,
        case
            when names.ref_id is not null then 'reference'
            when reference_name_keys.ref_id is not null then 'reference_name_key'
            else 'name_key'
        end as base_resolution,
        case
            when coalesce(names.ref_id, reference_name_keys.ref_id) is not null
                then 'ref:' || coalesce(names.ref_id, reference_name_keys.ref_id)
            else names.entity_type || ':' || names.name_key
        end as base_cluster_key
    from names
    left join reference_name_keys
        on names.ref_id is null
        and names.entity_type = reference_name_keys.entity_type
        and names.name_key = reference_name_keys.name_key

),

unreferenced_people as (

    select distinct
        base_cluster_key,
        list_first(string_split_regex(trim(name_key), '\s+')) as given_name,
        {{ last_name_token('name_key') }} as surname
    from keyed
    where entity_type = 'person'
        and resolved_ref_id is null
        and {{ name_token_count('name_key') }} > 1

),

-- Two spellings of one person that name_key does not fold ('Galia Tamabayeva' / 'Ghalia
-- Tamambaeva'): the same given name and surnames of 7+ letters one edit apart, or the same
-- surname and given names of 6+ letters one edit apart, or a given name in its full and short
-- form with surnames one edit apart; surnames of the same grammatical
-- gender (Nazarbayev is not Nazarbayeva). Or the same given name and a Tajik surname in its
-- Russian and its Tajik form (-ov/-ev against -i, -zoda or the stem). The later key maps to the
-- earliest.
-- Every rule below pairs names with the same surname or the same first five letters of the given
-- name (an equal or a prefix given name): those are the blocks compared, not every pair of names.
name_blocks as (

    select
        *,
        unnest(['given:' || left(given_name, 5), 'surname:' || surname]) as block
    from unreferenced_people

),

near_spellings as (

    select later.base_cluster_key, min(earlier.base_cluster_key) as near_cluster_key
    from name_blocks as later
    inner join name_blocks as earlier
        on later.block = earlier.block
        and later.base_cluster_key > earlier.base_cluster_key
        and (
            ends_with(later.surname, 'a') = ends_with(earlier.surname, 'a')
            and (
            (
                later.given_name = earlier.given_name
                and least(length(later.surname), length(earlier.surname)) >= 7
                and levenshtein(later.surname, earlier.surname) <= 1
            )
            or (
                -- 'Dauletmurat' / 'Davletmurat Tajimuratov': Kazakh 'у' is written u or v
                later.surname = earlier.surname
                and least(length(later.given_name), length(earlier.given_name)) >= 6
                and levenshtein(later.given_name, earlier.given_name) <= 1
            )
            or (
                -- 'Zhanbolat Rakhmatulla' / 'Zhanbol Rakhmetulla': a given name written in its full
                -- and its short form (one the other's start, 5+ letters) and surnames of 7+ letters
                -- one edit apart (Kazakh 'ә' is written a or e)
                (starts_with(later.given_name, earlier.given_name) or starts_with(earlier.given_name, later.given_name))
                and least(length(later.given_name), length(earlier.given_name)) >= 5
                and least(length(later.surname), length(earlier.surname)) >= 7
                and levenshtein(later.surname, earlier.surname) <= 1
            )
            )
            or (
                -- Tajik surnames shed the Russian -ov/-ev for -i, -zoda or the bare stem
                -- ('Ghurbatov' / 'Ghurbati', 'Rahmonov' / 'Rahmon'): the same given name and the
                -- same stem of 4+ letters, neither a Russian feminine -ova/-eva
                later.given_name = earlier.given_name
                and later.surname <> earlier.surname
                and not regexp_matches(later.surname, '[oe]va$')
                and not regexp_matches(earlier.surname, '[oe]va$')
                and regexp_replace(later.surname, '(ov|ev|zoda|zod|zade|i)$', '')
                = regexp_replace(earlier.surname, '(ov|ev|zoda|zod|zade|i)$', '')
                and length(regexp_replace(later.surname, '(ov|ev|zoda|zod|zade|i)$', '')) >= 4
            )
        )
    group by later.base_cluster_key

),

-- One person under two names, as the article itself says: 'Ghurbatov, who works under the name
-- Abdullo Ghurbati', 'X, also known as Y', 'X, whose real name is Y', 'X (pen name Y)'. The second
-- name's key joins the first's person everywhere, so another outlet's 'Abdullo Ghurbati' is him too.
-- The pairs of nearby person mentions come first (materialized): joined to the article bodies
-- before that, the plan carried every body through the range join (2 s at 2,000 articles).
nearby_people as materialized (

    select
        named.article_id,
        named.char_end as named_end,
        alias.char_start as alias_start,
        named.entity_type as named_type,
        named.name_key as named_key,
        named.ref_id as named_ref_id,
        alias.entity_type as alias_type,
        alias.name_key as alias_key,
        alias.ref_id as alias_ref_id
    from {{ ref('int_mentions_located') }} as named
    inner join {{ ref('int_mentions_located') }} as alias
        on named.article_id = alias.article_id
        and alias.char_start > named.char_end
        and alias.char_start - named.char_end <= 60
    where named.entity_type = 'person'
        and alias.entity_type = 'person'
        and {{ name_token_count('alias.name_key') }} > 1

),

stated_alias_mentions as (

    select nearby_people.*
    from nearby_people
    inner join {{ ref('stg_articles') }} as articles on nearby_people.article_id = articles.article_id
    where regexp_full_match(
        lower(substring(articles.body, nearby_people.named_end + 1, nearby_people.alias_start - nearby_people.named_end)),
        '\s*[,(]\s*(who (works|writes|blogs|publishes|is known|goes|went|wrote|worked) (under|by) the '
        || '(pen |working |stage |professional )?name|(better |also |widely )?known as|a\.?k\.?a\.?'
        || '|(whose )?(real|legal|birth|given|full) name( is|:)?|(his |her )?(pen name|pseudonym)( is|:)?)'
        || '\s*[«"“]?\s*'
    )

),

stated_aliases as (

    select alias_name.base_cluster_key, min(named_name.base_cluster_key) as alias_cluster_key
    from stated_alias_mentions as stated
    inner join keyed as named_name
        on stated.named_type = named_name.entity_type
        and stated.named_key is not distinct from named_name.name_key
        and stated.named_ref_id is not distinct from named_name.ref_id
    inner join keyed as alias_name
        on stated.alias_type = alias_name.entity_type
        and stated.alias_key is not distinct from alias_name.name_key
        and stated.alias_ref_id is not distinct from alias_name.ref_id
    where named_name.base_cluster_key <> alias_name.base_cluster_key
    group by alias_name.base_cluster_key

),

respelled as (

    select
        keyed.* replace (
            coalesce(stated_aliases.alias_cluster_key, near_spellings.near_cluster_key, keyed.base_cluster_key)
                as base_cluster_key
        ),
        near_spellings.near_cluster_key is not null as near_spelling,
        stated_aliases.alias_cluster_key is not null as stated_alias
    from keyed
    left join stated_aliases on keyed.base_cluster_key = stated_aliases.base_cluster_key
    left join near_spellings on keyed.base_cluster_key = near_spellings.base_cluster_key

),

warehouse_owners as (

    select
        {{ last_name_token('name_key') }} as surname,
        count(distinct base_cluster_key) as owner_count,
        min(base_cluster_key) as cluster_key
    from respelled
    where entity_type = 'person' and {{ name_token_count('name_key') }} > 1
    group by surname

)

select
    respelled.entity_type,
    respelled.name_key,
    respelled.ref_id,
    respelled.resolved_ref_id,
    respelled.base_resolution,
    respelled.near_spelling,
    respelled.stated_alias,
    respelled.base_cluster_key as name_cluster_key,
    case
        when respelled.entity_type = 'person'
            and respelled.resolved_ref_id is null
            and {{ name_token_count('respelled.name_key') }} = 1
            and warehouse_owners.owner_count = 1
            then warehouse_owners.cluster_key
    end as surname_owner_key
from respelled
left join warehouse_owners on respelled.name_key = warehouse_owners.surname
