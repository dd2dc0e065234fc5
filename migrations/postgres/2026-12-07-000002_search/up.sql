-- Full-text search in the title and text of stories (store/search_index.rs): a generated
-- tsvector with Dutch stemming and stop words, and a GIN index on it. PostgreSQL computes the
-- column for the stories already there (rewriting the table once) and again whenever title
-- or text change, so withdrawal, redaction and retention take the words out of the index.
--
-- `translate` turns < > @ / . : & \ into spaces first: PostgreSQL's parser would otherwise
-- read "<script>", "jan@x.nl", "wachtlijst.Daarna" or a web address as one tag, e-mail, host
-- or path token and index none of the words in it. A search looks for words (letters and
-- digits), as SQLite's tokenizer cuts them.
ALTER TABLE stories ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('dutch'::regconfig, translate(title || ' ' || body, '<>@/.:&\', '        '))
) STORED;
CREATE INDEX stories_search ON stories USING GIN (search_vector);
