"""Voter petitions (ý kiến, kiến nghị cử tri): meetings, petitions, agencies, answers, the public form."""
