DROP INDEX stories_facts;
