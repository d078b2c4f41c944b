{#
  The families of criminal or administrative charge a text names, English or Russian
  ('money-laundering charges', 'обвиняется в отмывании денег' -> ['money_laundering']): the
  broad offence categories of the region's criminal codes, so that two outlets describing one
  case in their own words, or in two languages, name the same family. `text` must be lower case.
#}
{% macro charge_families(text) -%}
    list_filter([
        case when regexp_matches({{ text }}, 'launder|отмыв|легализаци\w* (преступн|незаконн|денеж)') then 'money_laundering' end,
        case when regexp_matches({{ text }}, 'mass (riot|disorder|unrest)|массов\w* беспоряд') then 'mass_riots' end,
        case when regexp_matches({{ text }}, 'extremis|экстремис') then 'extremism' end,
        case when regexp_matches({{ text }}, 'terroris|террор') then 'terrorism' end,
        case when regexp_matches({{ text }}, 'fraud|swindl|мошенни') then 'fraud' end,
        case when regexp_matches({{ text }}, 'kidnap|hostage|abduct|похищени|заложни') then 'kidnapping' end,
        case when regexp_matches({{ text }}, 'seiz\w* (of )?power|coup|overthrow|захват\w* власт|свержени') then 'seizure_of_power' end,
        case when regexp_matches({{ text }}, 'false information|ложн\w* информаци') then 'false_information' end,
        case when regexp_matches({{ text }}, 'hooligan|хулиган') then 'hooliganism' end,
        case when regexp_matches({{ text }}, 'extort|вымогат') then 'extortion' end,
        case when regexp_matches({{ text }}, 'libel|defam|slander|клевет') then 'libel' end,
        case when regexp_matches({{ text }}, 'brib|взятк') then 'bribery' end,
        case when regexp_matches({{ text }}, 'tax evasion|evading tax|уклонени\w* от уплаты налог') then 'tax_evasion' end
    ], lambda family: family is not null)
{%- endmacro %}
