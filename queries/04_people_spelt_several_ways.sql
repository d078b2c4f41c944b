-- Question: Which people are written in more than one way, and which spellings were merged into one actor?
-- Transliterations from Kazakh, Kyrgyz and Russian vary (Tokayev / Toqaev, Otunbayeva / Otunbayva):
-- each row is one resolved actor with every distinct spelling found in the articles.
select
    actor.name,
    actor.actor_id,
    count(distinct mention.surface_text) as spellings,
    list_sort(list_distinct(list(mention.surface_text))) as spelt_as,
    count(*) as mentions,
    count(distinct mention.article_id) as articles
from marts.dim_actor as actor
join marts.fct_mention as mention
    on mention.entity_type = 'actor' and mention.entity_id = actor.actor_id
where actor.actor_type = 'person'
group by actor.name, actor.actor_id
having count(distinct mention.surface_text) > 1
order by spellings desc, actor.name
