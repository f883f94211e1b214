"""The physician workspace: patients, explained risk scores, trends, what-if and reports."""
