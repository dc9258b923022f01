-- The minimum requirements of shared/domain.md, as data: (a)-(c) are the three trâmite tests the
-- manual lists today; (d)-(i) the configuration items it listed until February 2025, still needed
-- to operate. A future change of the list is another data migration like this one.
INSERT INTO "requisitos_minimos" ("codigo", "ordem", "descricao", "tipo", "exigido") VALUES
  ('a', 1, 'Ao menos um processo enviado com sucesso (situação 6)', 'TRAMITE_ENVIADO_COM_SUCESSO', true),
  ('b', 2, 'Ao menos um processo recebido com sucesso (situação 6)', 'TRAMITE_RECEBIDO_COM_SUCESSO', true),
  ('c', 3, 'Uma recusa de recebimento, o órgão como destinatário (situação 9)', 'RECUSA_COMO_DESTINATARIO', true),
  ('d', 4, 'Gestor confirmado no grupo da comunidade "Em Implantação"', 'CONFIGURACAO', true),
  ('e', 5, 'Mapeamento das hipóteses legais', 'CONFIGURACAO', true),
  ('f', 6, 'Unidades administrativas definidas no portal', 'CONFIGURACAO', true),
  ('g', 7, 'Unidades do portal mapeadas para as unidades do SPE', 'CONFIGURACAO', true),
  ('h', 8, 'Tipos de documento mapeados para envio', 'CONFIGURACAO', true),
  ('i', 9, 'Tipos de documento mapeados para recebimento', 'CONFIGURACAO', true);
