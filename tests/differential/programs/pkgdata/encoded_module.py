# A module with a UTF-8 byte order mark.
VALUE = "bom é"
