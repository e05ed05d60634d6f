"""Outgoing e-mail: a queue in the database and a sender that delivers it through the deployment's SMTP server."""
