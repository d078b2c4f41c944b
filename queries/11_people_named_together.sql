-- Question: Who is named in the same articles as this person, and how often?
-- Parameter $name: any spelling or part of the person's name. Useful to find co-defendants,
-- fellow activists or the officials a case involves.
with person as (
    select actor.actor_id
    from marts.dim_actor as actor
    where actor.name ilike '%' || $name || '%'
        or exists (select 1 from unnest(actor.aliases) as spelling(alias) where spelling.alias ilike '%' || $name || '%')
),

person_articles as (
    select distinct mention.article_id
    from marts.fct_mention as mention
    join person on mention.entity_type = 'actor' and mention.entity_id = person.actor_id
)

select
    other.name,
    other.actor_type,
    other.roles,
    count(distinct mention.article_id) as shared_articles,
    list_sort(list_distinct(list(coalesce(article.title, article.source_uri)))) as articles
from person_articles
join marts.fct_mention as mention on mention.article_id = person_articles.article_id
join marts.dim_actor as other on mention.entity_type = 'actor' and mention.entity_id = other.actor_id
join marts.dim_article as article on mention.article_id = article.article_id
where other.actor_id not in (select actor_id from person)
group by other.actor_id, other.name, other.actor_type, other.roles
order by shared_articles desc, other.name
