"""The terminology package: which codes feed which model input, and drugs' classes."""
