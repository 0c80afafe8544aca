"""Readings members pass themselves, with a photo: the window, the checks on the spot, the photo,
the treasurer's queue and the reminder. Accepted readings go through the readings import."""
