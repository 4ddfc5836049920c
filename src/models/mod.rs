//! Textbook model families and their closed forms.
