"""General meetings (217-ФЗ art. 17): the meeting, its legal deadlines, the notice and its proof."""
