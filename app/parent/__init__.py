"""Parents' and carers' pages: their children, the AUP they signed, guides."""
