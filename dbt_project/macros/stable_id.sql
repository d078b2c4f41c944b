{#
    A stable surrogate key: md5 of the canonical key parts joined by '|'.
    Ids are derived from content only (never row numbers or load order), so the same
    entity gets the same id on every run and after a full rebuild. NULL parts hash as ''.
#}
{% macro stable_id(parts) -%}
    md5(
        {%- for part in parts %}
        coalesce(cast({{ part }} as varchar), ''){% if not loop.last %} || '|' ||{% endif %}
        {%- endfor %}
    )
{%- endmacro %}
