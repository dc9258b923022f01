-- Today's manual (since 18 Feb 2025) requires only the three trâmite tests (a)-(c). The six
-- configuration items (d)-(i) stay in the list, shown to agencies as still needed to operate, but no
-- longer gate validation. A later change of the list is again only data, like this one.
UPDATE "requisitos_minimos" SET "exigido" = false WHERE "codigo" IN ('d', 'e', 'f', 'g', 'h', 'i');
