-- One name per concept: the column stores a side of the trâmite (lado), not a role (papel).
ALTER TABLE "tramite_eventos" RENAME COLUMN "ator_papel" TO "ator_lado";
