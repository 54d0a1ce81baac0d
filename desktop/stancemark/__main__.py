from stancemark.cli import main

raise SystemExit(main())
