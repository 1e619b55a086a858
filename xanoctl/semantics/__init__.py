"""The semantic layer: what a parsed document means, between the language's model and the
linter's rules and views (the references each document makes to other objects, the tables a
workspace defines and their columns)."""
