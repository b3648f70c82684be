-- +goose Up
-- Which systems run which standard image, with how many components: the
-- vulnerability view groups 3,000,000 components by (image, system). With
-- both columns in one index the grouping reads the index in order instead
-- of sorting the table; the old index on image_code alone is its prefix.
DROP INDEX components_image_code_idx;
CREATE INDEX components_image_system_idx ON components (image_code, system_code);

-- +goose Down
DROP INDEX components_image_system_idx;
CREATE INDEX components_image_code_idx ON components (image_code);
