-- Question: Where is this person mentioned, however their name is spelt, and in what words?
-- Parameter $name: any spelling or part of a name ('Tokayev', 'Toqaev', 'Mamai'); matched against the
-- canonical name and every alias, case-insensitively. Each row is one mention with the text around it.
with matched_actors as (
    select actor.actor_id, actor.name, actor.aliases
    from marts.dim_actor as actor
    where actor.name ilike '%' || $name || '%'
        or exists (select 1 from unnest(actor.aliases) as spelling(alias) where spelling.alias ilike '%' || $name || '%')
)

select
    matched_actors.name,
    matched_actors.actor_id,
    mention.surface_text as spelt_as,
    coalesce(article.title, article.source_uri) as article,
    article.published_date,
    mention.char_start,
    mention.char_end,
    substr(article.body, greatest(mention.char_start - 80, 0) + 1,
           mention.char_end - greatest(mention.char_start - 80, 0) + 80) as context
from matched_actors
join marts.fct_mention as mention
    on mention.entity_type = 'actor' and mention.entity_id = matched_actors.actor_id
join marts.dim_article as article on mention.article_id = article.article_id
order by matched_actors.name, article.published_date nulls last, article.article_id, mention.char_start
