DROP TABLE observation_quotes;
DROP TABLE observation_stories;
DROP TABLE observations;
