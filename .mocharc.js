{
  "extension": [
    "ts"
  ],
  "timeout": 60000,
  "reporter": "spec",
  "require": [
    "./tools/ts-register.js"
  ],
  "node-option": [
    "enable-source-maps"
  ]
}
