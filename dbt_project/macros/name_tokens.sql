{# The whitespace-separated tokens of a name key ('kassym-jomart tokayev' -> 2 tokens). #}
{% macro name_token_count(name_key) -%}
    len(string_split_regex(trim({{ name_key }}), '\s+'))
{%- endmacro %}

{# The last token of a name key: the surname of a person written "First Last". #}
{% macro last_name_token(name_key) -%}
    list_last(string_split_regex(trim({{ name_key }}), '\s+'))
{%- endmacro %}
