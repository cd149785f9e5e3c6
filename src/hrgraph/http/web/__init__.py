"""The web interface: HTML pages for people (home, query editor, resource pages, faceted
browsing, the validation report) and SVG pictures drawn from the graph at request time.

``hrgraph.http.web.routes`` holds the router and the static files; ``resource`` the /id/ pages."""
