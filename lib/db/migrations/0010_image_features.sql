-- Search by photo: one feature vector per distinct catalog image (products share placeholder
-- images), computed by lib/ml/image-features.ts from the image rendered at 128×128 by
-- scripts/ml/index-images.ts. Keyed by URL and feature version, so changing the features means
-- re-indexing into new rows rather than mixing two kinds of vector.
create table commerce.image_features (
  url text not null,
  version text not null,
  features real[] not null,
  computed_at timestamptz not null default now(),
  primary key (url, version)
);
