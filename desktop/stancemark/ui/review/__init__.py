"""Review mode: colleagues' versions unit by unit, adjudication into gold, agreement."""
