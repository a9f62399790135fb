// Loaded after the harness: report each result as a line run.py parses.
__wptReport();
