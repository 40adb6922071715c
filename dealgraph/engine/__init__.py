"""The GraphQL execution engine the app serves the API's shape with: completion plans
(``execution``), direct resolvers (``fastpath``), request limits with the parse and validation
caches (``limits``), and the served schema built from them (``served``).

It sits above ``schema`` (it reads the API's types to install fast paths) and below the app;
``schema`` holds only the API's shape.
"""
