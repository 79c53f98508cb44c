"""The AUP gate: nobody reaches any page until they have accepted the AUP that is due."""
