DROP TABLE response_targets;
DROP TABLE response_durations;
DROP TABLE response_counts;
DROP TABLE place_links;
