DROP TABLE answers;
DROP TABLE stories;
DROP TABLE questionnaires;
DROP TABLE projects;
DROP TABLE app_settings;
