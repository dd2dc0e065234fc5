DROP TABLE published_observations;
DROP TABLE public_results;
